// Helper module: a TCP relay (standard library only) that lets the real node, in its own network
// namespace, reach the API server that listens on the host's loopback.
module falconer.dev/hack/node/relay

go 1.24.0
