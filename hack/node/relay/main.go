// Command falconer-relay copies TCP connections from a listen address to a target address.
//
// The local API server binds to 127.0.0.1 only; the real node's kubelet lives in a network
// namespace whose only way out is a veth pair. This relay listens on the host end of that veth
// and forwards every connection to the API server. TLS passes through untouched: the kubelet
// verifies the API server's certificate itself.
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	listen := flag.String("listen", "", "address to accept connections on, e.g. 10.213.0.1:6443")
	target := flag.String("target", "", "address to forward them to, e.g. 127.0.0.1:6443")
	flag.Parse()
	if *listen == "" || *target == "" {
		log.Fatal("both -listen and -target are required")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("listen on %s: %v", *listen, err)
	}
	log.Printf("relaying %s -> %s", *listen, *target)
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		ln.Close()
		os.Exit(0)
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Fatalf("accept: %v", err)
		}
		go relay(conn, *target)
	}
}

// relay joins one accepted connection to a fresh connection to the target, closing both when
// either side is done (half-closes are passed on so request/response streams end cleanly).
func relay(client net.Conn, target string) {
	defer client.Close()
	upstream, err := net.Dial("tcp", target)
	if err != nil {
		log.Printf("dial %s: %v", target, err)
		return
	}
	defer upstream.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tcp, ok := dst.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(upstream, client)
	go pipe(client, upstream)
	<-done
	<-done
}
