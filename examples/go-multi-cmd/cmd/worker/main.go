// Command worker re-indexes the catalogue once and exits.
package main

import (
	"flag"
	"fmt"

	"example.com/shop/internal/store"
)

func main() {
	dry := flag.Bool("dry-run", false, "only print what would be indexed")
	flag.Parse()
	for _, item := range store.Items() {
		fmt.Println("index", item, *dry)
	}
}
