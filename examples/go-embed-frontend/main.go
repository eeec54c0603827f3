// Command board serves a single-page front end that web/package.json builds into
// web/dist, embedded in the binary.
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
)

//go:embed web/dist
var dist embed.FS

func main() {
	site, err := fs.Sub(dist, "web/dist")
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", http.FileServer(http.FS(site)))
	log.Print("listening on :8095")
	log.Fatal(http.ListenAndServe(":8095", nil))
}
