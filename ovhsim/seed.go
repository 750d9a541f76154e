package ovhsim

import "fmt"

// SeedServers returns n servers for a large simulated account: the
// DefaultServers first (so the sandbox's three nodes still find theirs), then
// generated ones named as OVH names them (nsNNNNNNN.ip-A-B-C.eu, A.B.C being
// the first three octets of the server's address), with today's catalogue and
// no reverse of their own. n ≤ len(DefaultServers()) gives the first n.
func SeedServers(n int) []ServerSeed {
	seeds := DefaultServers()
	if n <= len(seeds) {
		return seeds[:max(n, 0)]
	}
	datacenters := []string{"gra2", "rbx8", "sbg3", "bhs1"}
	for i := len(seeds); i < n; i++ {
		b, c := 68+i/250, i%250 // a /24 of its own per server, as OVH's names show
		name := fmt.Sprintf("ns%07d.ip-51-%d-%d.eu", 3100000+i, b, c)
		id := int64(200000 + 10*i)
		seeds = append(seeds, ServerSeed{
			Name: name, Reverse: name, IP: fmt.Sprintf("51.%d.%d.%d", b, c, 10+i%200),
			Datacenter: datacenters[i%len(datacenters)], CommercialRange: "advance-2",
			RescueBootID: id + 1, IpxeBootID: id + 2, PowerBootID: id + 3,
		})
	}
	return seeds
}
