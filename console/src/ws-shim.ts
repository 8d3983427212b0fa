// Stands in for the `ws` package in the browser bundle: the typed client only reaches for it when there is no global WebSocket.
export default globalThis.WebSocket;
