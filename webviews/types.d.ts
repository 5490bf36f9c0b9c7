declare module '*.css' {
  const text: string;
  export default text;
}
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
// Webpack's runtime variables: where chunks load from, and the nonce their script tags carry.
declare let __webpack_public_path__: string;
declare let __webpack_nonce__: string;
