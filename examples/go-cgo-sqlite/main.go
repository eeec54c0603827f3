// Command notes keeps notes in SQLite and serves how many there are.
package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db, err := sql.Open("sqlite3", "file::memory:?cache=shared")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('first')`); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM notes`).Scan(&n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var version string
		_ = db.QueryRow(`SELECT sqlite_version()`).Scan(&version)
		fmt.Fprintf(w, "%d notes (sqlite %s)\n", n, version)
	})
	addr := "0.0.0.0:8082"
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
