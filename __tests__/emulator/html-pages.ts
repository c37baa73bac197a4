// The HTML error pages that something in front of Prefect (a load balancer, a proxy, a firewall) sends: Prefect itself always
// answers JSON, so an HTML answer tells the action the request never reached Prefect.
import { STATUS_CODES } from 'node:http';

export const HTML_TYPE = { 'content-type': 'text/html' };

/** An nginx-style page for `status`, e.g. `<html>…<h1>403 Forbidden</h1>…</html>`. */
export function htmlErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>
<head><title>${title}</title></head>
<body>
<center><h1>${title}</h1></center>
</body>
</html>
`;
}
