// Command admin serves the back-office pages.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/services/internal/catalog"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8102"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d items\n", len(catalog.Items()))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
