// Command tzconv prints the current time in a time zone.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

var version = "2.0.0"

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	zone := flag.String("zone", "UTC", "IANA time zone name")
	flag.Parse()
	if *showVersion {
		fmt.Println("tzconv", version)
		return
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tzconv:", err)
		os.Exit(1)
	}
	fmt.Println(time.Now().In(loc).Format(time.RFC3339))
}
