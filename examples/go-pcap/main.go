// Command sniff reports the packet-capture library it runs with. gopacket/pcap links
// libpcap through cgo, so the image needs libpcap at run time.
package main

import (
	"fmt"

	"github.com/google/gopacket/pcap"
)

func main() {
	fmt.Println(pcap.Version())
}
