// Command api serves the catalogue over HTTP.
package main

import (
	"fmt"
	"log"
	"net/http"
	"strings"

	"example.com/services/internal/catalog"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, strings.Join(catalog.Items(), ", "))
	})
	log.Fatal(http.ListenAndServe(":8101", nil))
}
