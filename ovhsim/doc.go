// Package ovhsim is a simulated OVHcloud API: an http.Handler that behaves like
// https://eu.api.ovh.com/1.0 for everything ovhfence touches — the request
// signature, /auth/time, the consumer-key lifecycle, access rules, dedicated
// servers with per-server boot catalogues, reboot tasks that advance with the
// clock, and injectable faults. The facts it models are in
// reference/ovh-api.md (§7 lists the requirements); DESIGN.md D10 says why.
//
// It imports nothing from ovhfence on purpose: it is an independent model of
// OVH, so a misunderstanding in the client is not mirrored here.
//
// The control surface under /_sim/ is described in README.md.
package ovhsim
