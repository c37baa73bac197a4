// Types for bottleneck/light.js, the build without clustering that the
// throttling plugin uses: the package types only its main entry, and the two
// have the same API. Imported so that this client's write limiter is one the
// plugin's own code drives, not a second copy of Bottleneck in the bundle.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
