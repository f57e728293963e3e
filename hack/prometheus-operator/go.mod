// Helper module: pins the Prometheus Operator release whose PodMonitor CRD the tests install
// (read from the Go module cache: example/prometheus-operator-crd/), so Falconer's PodMonitors
// are validated by the real schema. Nothing here is built.
module falconer.dev/hack/prometheus-operator

go 1.26.0

require github.com/prometheus-operator/prometheus-operator v0.85.0
