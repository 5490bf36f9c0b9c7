// Loaded by mocha (--require) in the Windows run only. Works around gaps of Wine, not of Windows:
// each shim names the gap, and none changes what the code under test does on a real Windows.
//
// Wine 8: a socket's keep-alive set while it is still connecting makes the connect fail with
// "connect UNKNOWN" (libuv applies it to the pending socket, and Wine's Winsock refuses). On real
// Windows this works, and undici (Node's fetch) does exactly this for every connection, so without
// the shim every fetch() in the run fails. The shim applies the keep-alive once connected instead.
const net = require('node:net');

const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function setKeepAliveAfterConnect(enable, initialDelay) {
  if (this.connecting) {
    this.once('connect', () => setKeepAlive.call(this, enable, initialDelay));
    return this;
  }
  return setKeepAlive.call(this, enable, initialDelay);
};
