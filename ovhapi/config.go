package ovhapi

import (
	"fmt"
	"os"
)

// Config is one set of OVH API credentials: application keys, or a service
// account (OAuth2 client credentials, oauth2.go). ApplicationSecret,
// ConsumerKey and ClientSecret are secrets: never print a Config, use
// Redacted (DESIGN.md D4).
type Config struct {
	Endpoint          string // endpoint name (ovh-eu…) or base URL; "" = DefaultEndpoint
	ApplicationKey    string
	ApplicationSecret string
	ConsumerKey       string
	ClientID          string // service account; an identifier, like the application key
	ClientSecret      string
}

// Redacted describes the config for logs without revealing a secret: the
// application key is an identifier, the consumer key shows its last 4
// characters so two keys can be told apart.
func (c Config) Redacted() string {
	if c.ServiceAccount() {
		return c.redactedServiceAccount()
	}
	secret := "AS missing"
	if c.ApplicationSecret != "" {
		secret = "AS set"
	}
	return fmt.Sprintf("endpoint=%s AK=%s %s CK=%s",
		orDefaultEndpoint(c.Endpoint), orNone(c.ApplicationKey), secret, consumerKeyTail(c.ConsumerKey))
}

// consumerKeyTail shows a short CK only as "set": its last 4 characters would
// be too large a share of it.
func consumerKeyTail(ck string) string {
	switch {
	case ck == "":
		return "(none)"
	case len(ck) < 16:
		return "set"
	default:
		return "…" + ck[len(ck)-4:]
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Environment variables go-ovh reads (reference/ovh-api.md §1, Config).
const (
	EnvEndpoint          = "OVH_ENDPOINT"
	EnvApplicationKey    = "OVH_APPLICATION_KEY"
	EnvApplicationSecret = "OVH_APPLICATION_SECRET"
	EnvConsumerKey       = "OVH_CONSUMER_KEY"
	EnvClientID          = "OVH_CLIENT_ID"
	EnvClientSecret      = "OVH_CLIENT_SECRET"
)

// ConfigFromEnv reads the OVH_* variables go-ovh uses; unset ones stay empty.
func ConfigFromEnv() Config {
	return Config{
		Endpoint:          os.Getenv(EnvEndpoint),
		ApplicationKey:    os.Getenv(EnvApplicationKey),
		ApplicationSecret: os.Getenv(EnvApplicationSecret),
		ConsumerKey:       os.Getenv(EnvConsumerKey),
		ClientID:          os.Getenv(EnvClientID),
		ClientSecret:      os.Getenv(EnvClientSecret),
	}
}

// Layer returns the fields of top that are set, over base: credentials come
// in layers (environment, then an ovh.conf, then explicit values), each filling
// only what it names.
func Layer(base, top Config) Config {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&base.Endpoint, top.Endpoint},
		{&base.ApplicationKey, top.ApplicationKey},
		{&base.ApplicationSecret, top.ApplicationSecret},
		{&base.ConsumerKey, top.ConsumerKey},
		{&base.ClientID, top.ClientID},
		{&base.ClientSecret, top.ClientSecret},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	return base
}
