package agent

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Options holds the parsed parameters, one slot per row of optionTable, so that
// both old and new names of an option read and write the same value.
type Options struct {
	values       [len(optionTable)]string
	given        [len(optionTable)]bool
	verboseCount int // -v occurrences on the command line, or 1 for verbose=1 on stdin
	warnings     []string
}

// set stores a value; select values are lower-cased because fence-agents compares
// them case-insensitively and callers compare them with plain ==.
func (o *Options) set(i int, value string) {
	if optionTable[i].kind == kindSelect {
		value = strings.ToLower(value)
	}
	o.values[i] = value
	o.given[i] = true
}

func (o *Options) warn(msg string) {
	o.warnings = append(o.warnings, msg)
}

// Warnings returns what parsing ignored (unknown stdin keys, flags without a valid
// value, unused command-line words). They name options, never their values.
func (o *Options) Warnings() []string {
	return o.warnings
}

// Get returns the option's value, or its default when it was not given; ok tells
// whether it was given. name may be the canonical or the old name, with '-' or '_'.
func (o *Options) Get(name string) (value string, ok bool) {
	i, known := lookupOption(name)
	if !known {
		return "", false
	}
	if o.given[i] {
		return o.values[i], true
	}
	return optionTable[i].def, false
}

// Flag reports whether a flag was given. As in fencing.py flags count by
// presence, so quiet=0 on stdin still means quiet.
func (o *Options) Flag(name string) bool {
	i, known := lookupOption(name)
	return known && o.given[i]
}

// Int returns an integer option's value (or default).
func (o *Options) Int(name string) (int64, error) {
	i, known := lookupOption(name)
	if !known {
		return 0, errors.New("unknown option '" + name + "'")
	}
	n, err := strconv.ParseInt(o.valueOrDefault(i), 10, 64)
	if err != nil {
		return 0, errors.New(invalidValueMessage(&optionTable[i]))
	}
	return n, nil
}

// Seconds returns a "second" option's value (or default): a non-negative integer
// or decimal number of seconds.
func (o *Options) Seconds(name string) (time.Duration, error) {
	i, known := lookupOption(name)
	if !known {
		return 0, errors.New("unknown option '" + name + "'")
	}
	d, ok := parseSeconds(o.valueOrDefault(i))
	if !ok {
		return 0, errors.New(invalidValueMessage(&optionTable[i]))
	}
	return d, nil
}

func (o *Options) valueOrDefault(i int) string {
	if o.given[i] {
		return o.values[i]
	}
	return optionTable[i].def
}

// Verbosity is verbose_level when given (0 if it is not a non-negative integer, as
// fencing.py), else the number of -v flags, or 1 for verbose=1 on stdin.
func (o *Options) Verbosity() int {
	level, given := o.Get("verbose_level")
	if !given {
		return o.verboseCount
	}
	n, err := strconv.Atoi(level)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Action returns the requested action, lower-cased, "meta-data" (OCF) as
// "metadata", "reboot" when none was given.
func (o *Options) Action() string {
	action, _ := o.Get("action")
	return normalizeAction(action)
}

func normalizeAction(action string) string {
	action = strings.ToLower(action)
	if action == "meta-data" {
		return "metadata"
	}
	return action
}

// maxSeconds keeps a parsed number of seconds inside time.Duration.
const maxSeconds = float64(math.MaxInt64 / int64(time.Second))

// parseSeconds accepts digits with at most one decimal point ("5", "2.5", ".5"),
// and nothing strconv.ParseFloat would add (signs, exponents, inf, hex).
func parseSeconds(v string) (time.Duration, bool) {
	digits, dots := 0, 0
	for k := 0; k < len(v); k++ {
		switch {
		case v[k] >= '0' && v[k] <= '9':
			digits++
		case v[k] == '.':
			dots++
		default:
			return 0, false
		}
	}
	if digits == 0 || dots > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f > maxSeconds {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// invalidValueMessage is fencing.py's type error, without its "Failed: " prefix.
// It names the option but never repeats the value.
func invalidValueMessage(opt *option) string {
	what := "integer"
	if opt.kind == kindSecond {
		what = "time in seconds"
	}
	return "The value you have entered for --" + opt.long + " is not a valid " + what
}

// Validate checks the parameters for action the way fencing.py's check_input does,
// stopping at the first problem, and returns its fence-agents style message. It
// does not look for credentials: they may come from ovh_config or the environment.
func (o *Options) Validate(action string) error {
	action = normalizeAction(action)
	command, known := findCommand(action)
	if !known {
		return errors.New("Failed: Unrecognised action '" + action + "'")
	}
	if plug, _ := o.Get("plug"); command.needsPlug && plug == "" {
		return errors.New("Failed: You have to enter plug number or machine identification")
	}
	for i := range optionTable {
		if !o.given[i] {
			continue
		}
		if msg := valueProblem(&optionTable[i], o.values[i]); msg != "" {
			return errors.New("Failed: " + msg)
		}
	}
	return nil
}

// valueProblem says what is wrong with value for opt, or "" when nothing is.
// verbose_level is exempt: fencing.py treats a bad one as 0 with a warning.
func valueProblem(opt *option, value string) string {
	switch {
	case opt.kind == kindSelect:
		for _, choice := range opt.choices {
			if value == choice {
				return ""
			}
		}
		return opt.canonical() + " must be one of " + strings.Join(opt.choices, ", ")
	case opt.kind == kindSecond:
		if _, ok := parseSeconds(value); !ok {
			return invalidValueMessage(opt)
		}
	case opt.kind == kindInteger && opt.key != "verbose_level":
		if _, err := strconv.ParseInt(value, 10, 64); err != nil {
			return invalidValueMessage(opt)
		}
	}
	return ""
}
