// Command api greets visitors using the workspace's greet module.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"example.com/greet"
)

func main() {
	port := flag.Int("port", 8084, "port to listen on")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Hello(r.URL.Query().Get("name")))
	})
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", *port), nil))
}
