package ovhsim

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
)

// signature is OVH's request signature (reference §1.5): target is the full URL
// the client called, query string included, and body the raw bytes sent.
func signature(appSecret, consumerKey, method, target string, body []byte, timestamp int64) string {
	h := sha1.New()
	for _, part := range []string{appSecret, consumerKey, method, target, string(body)} {
		h.Write([]byte(part))
		h.Write([]byte("+"))
	}
	h.Write([]byte(strconv.FormatInt(timestamp, 10)))
	return "$1$" + hex.EncodeToString(h.Sum(nil))
}

// signatureMatches compares in constant time so the check leaks nothing.
func signatureMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
