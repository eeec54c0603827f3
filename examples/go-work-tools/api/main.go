// The shop API: a program in a Go workspace whose tools module (code generators
// pinned for `go generate`) the image build never needs.
package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/shop/lib"
	"github.com/google/uuid"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (request %s)\n", lib.Greeting("shop"), uuid.NewString())
	})
	log.Fatal(http.ListenAndServe(":8096", nil))
}
