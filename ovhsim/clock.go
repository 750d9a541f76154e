package ovhsim

import "time"

// ovhZone is the zone OVH writes its dates in ("2025-01-01T10:00:00+01:00").
var ovhZone = parisOrCET()

func parisOrCET() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600) // no tzdata on this machine: close enough
}

// ovhDate is t as OVH shows it: whole seconds in Paris time.
func ovhDate(t time.Time) time.Time { return t.Truncate(time.Second).In(ovhZone) }

// ovhDatePtr is ovhDate for nullable dates; the zero time means null.
func ovhDatePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	d := ovhDate(t)
	return &d
}
