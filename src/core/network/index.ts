// The network module: how every Ferry connection reaches its server (proxy, CA list, errors).
// Service layer: the editor reads the settings (src/editor/network.ts) and hands them in.
export { DEFAULT_NETWORK_SETTINGS, HttpAgents, NetworkProfile, NetworkSettings, NetworkSource, staticNetwork } from './agents';
export { ProxyError } from './errors';
export { describeNetworkFailure, displayProxy, NetworkFailure, UNTRUSTED_MESSAGE } from './failures';
export { fetchUrl, FetchOptions, FetchedBody } from './fetchUrl';
export { bypassesProxy, Env, ProxyResolver } from './proxy';
export { loadTrust, readCertificates, splitPem, Trust, TrustIo } from './trust';
