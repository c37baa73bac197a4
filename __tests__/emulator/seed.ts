// The fixed data every emulator starts from: same ids and keys on every run.
import type { Seed } from './types.ts';

export const seed: Seed = {
  account: { id: 'f3746a0c-7ec1-4470-b029-fb9afdb0c477', handle: 'acme' },
  otherAccount: { id: '3ac43a10-d823-41fa-92df-dd3b855f037c', handle: 'globex' },
  workspaces: {
    prod: { id: '98221ccd-6a3a-49e6-8df4-58346acf5e41', handle: 'prod' },
    staging: { id: '249fef02-bb51-49fe-947c-001912567d4d', handle: 'staging' },
    sandbox: {
      id: '8cb53b35-5fab-48b3-8239-ec8750f2970d',
      handle: 'sandbox',
      accountId: '3ac43a10-d823-41fa-92df-dd3b855f037c',
    },
  },
  user: {
    id: '597dfc13-86dc-4a9f-8faa-58fd9f09d23f',
    handle: 'wile-e-coyote',
    key: 'pnu_XNHv6KtAnAqgfPq7d634An3yQ05sBrkpYP0E',
  },
  bot: {
    id: 'bf5852e9-79b5-4963-bc17-ab4ac3fe6403',
    name: 'deployer',
    key: 'pnb_bqtyDuLJxh8L6bUPFcmsfBw1sY2aCGqjzBEL',
    keyId: 'b20311c0-244e-40ce-886d-c6b788807df6',
  },
  viewerBot: {
    id: 'f30c9512-89fb-4912-8e35-14d1f17175c4',
    name: 'dashboard-reader',
    key: 'pnb_cMT2qrDjhH8aYLjlOhPDIHCKpv4UuAz0oIHD',
  },
  unknownKey: 'pnu_AkYr9RWmxMApmRoTxY8jqbcteL3d8BwpWGAo',
  expiredKey: 'pnu_FSWavKNkWTjjAqrIAcUUZUPYtBNtvMbWd0Bd',
  cloud1: {
    tenantId: '71baf2fa-21fc-49fb-a034-d4005fafe09e',
    serviceAccountId: '062baf2c-aead-4cb3-99e3-e599010e55fa',
    key: 'TepIgGz0aLeyUfr4ON3oIPy5GaME8QZCd36xFKYW',
    keyId: '29b11cc2-0933-4c4f-843e-ae286bc94b98',
    keyName: 'ci-deployer',
  },
  github: {
    writeToken: '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',
    readOnlyToken: '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',
    secretsOnlyToken: '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',
    repo: 'octo/app',
    otherRepo: 'octo/lib',
    environment: 'production',
    org: 'octo',
    repositoryIds: { 'octo/app': 612034871, 'octo/lib': 612034872 },
    orgSecret: { name: 'PREFECT_API_KEY', visibility: 'selected', selectedRepositoryIds: [612034871, 612034872] },
  },
};
