// Command ids hands out request IDs.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"github.com/google/uuid"
)

func main() {
	addr := flag.String("addr", ":8083", "address to listen on")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, uuid.NewString())
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
