package ovhapi

import (
	"fmt"
	"regexp"
)

// keyText is what an application key, secret or consumer key may hold. OVH's
// are letters and digits; '-' and '_' are allowed for tests and future keys.
// Anything else (a newline, '[', '=', '#', a quote) could smuggle a second
// section or key into the ovh.conf the key is written to.
var keyText = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// CheckKeyText refuses credentials that an ovh.conf could not hold as they
// are. Its errors name the field, never the value: it may be a secret.
func CheckKeyText(cfg Config) error {
	for _, f := range []struct{ name, value string }{
		{"application key", cfg.ApplicationKey},
		{"application secret", cfg.ApplicationSecret},
		{"consumer key", cfg.ConsumerKey},
		{"client_id", cfg.ClientID},
		{"client_secret", cfg.ClientSecret},
	} {
		if !keyText.MatchString(f.value) {
			return fmt.Errorf("the %s holds characters other than letters, digits, '-' and '_' (not shown: it may be a secret)", f.name)
		}
	}
	return nil
}
