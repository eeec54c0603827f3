// Command api serves the catalogue; it is its own Go module, built from this folder.
package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `["tea","coffee","cocoa"]`)
	})
	log.Fatal(http.ListenAndServe(":8104", nil))
}
