// Command relay answers HTTP on the port its -port flag names (a constant by
// default) and can check an upstream over TLS; the upstream's port is a port it
// dials, not one it listens on.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

const defaultListenPort = 9292

type config struct {
	ListenPort   int
	Upstream     string
	HTTPSAddress string
}

func main() {
	cfg := config{HTTPSAddress: ":8443"}
	fs := flag.NewFlagSet("relay", flag.ExitOnError)
	fs.IntVar(&cfg.ListenPort, "port", defaultListenPort, "port to listen on")
	fs.StringVar(&cfg.Upstream, "upstream", "", "host whose TLS port /upstream checks")
	fs.Parse(os.Args[1:])

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "relay ok")
	})
	mux.HandleFunc("/upstream", func(w http.ResponseWriter, r *http.Request) {
		address := cfg.Upstream + ":443"
		conn, err := net.DialTimeout("tcp", address, 3*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn.Close()
		fmt.Fprintln(w, "upstream reachable")
	})
	log.Printf("listening on :%d", cfg.ListenPort)
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", cfg.ListenPort), mux))
}
