package agent

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// Warning texts. Stdin lines may hold secrets, so none of them quotes a value.
const (
	warnUnknownOption = "Parse error: Ignoring unknown option "
	warnLineWithoutEq = "Parse error: Ignoring a line that is neither an option nor key=value (not shown: it may be a secret)"
	warnFlagPrefix    = "Parse error: Ignoring option '"
	warnFlagSuffix    = "' because it does not have value"
	warnReadFailed    = "Parse error: stdin could not be read to the end: "
	warnUnusedArgs    = " unused arguments on the command line ignored (not shown: they may be secrets)"
	warnStdinTooLong  = "Parse error: stdin is longer than 64 KiB: ignoring the rest (and the line it cuts)"
)

// ParseStdin reads key=value lines to EOF, as Pacemaker's fencer and cman's fenced
// send them (reference/fence-agent-api.md §1.3), and returns the options with the
// warnings to log. It never fails: whatever cannot be used is skipped with a warning.
func ParseStdin(r io.Reader) (*Options, []string) {
	o := &Options{}
	data, err := io.ReadAll(io.LimitReader(r, MaxStdin+1))
	if err != nil {
		o.warn(warnReadFailed + err.Error())
	}
	data = o.capStdin(data)
	text := string(data)
	for text != "" {
		var line string
		line, text = nextLine(text)
		o.parseStdinLine(strings.TrimSpace(line))
	}
	return o, o.warnings
}

// MaxStdin bounds what the agent reads from stdin: cman and Pacemaker send a
// few hundred bytes, and an endless or huge stdin must not hold a fence agent.
const MaxStdin = 64 << 10

// capStdin keeps the whole lines within MaxStdin of data, read with one byte
// more than that to tell a stdin that was too long.
func (o *Options) capStdin(data []byte) []byte {
	if len(data) <= MaxStdin {
		return data
	}
	o.warn(warnStdinTooLong)
	data = data[:MaxStdin]
	if end := strings.LastIndexAny(string(data), "\r\n"); end >= 0 {
		return data[:end+1]
	}
	return nil
}

// nextLine splits off the first line. Like Python's universal newlines (which
// fencing.py reads stdin with) it ends lines at "\n", "\r\n" and a lone "\r".
func nextLine(text string) (line, rest string) {
	end := strings.IndexAny(text, "\r\n")
	if end < 0 {
		return text, ""
	}
	next := end + 1
	if text[end] == '\r' && next < len(text) && text[next] == '\n' {
		next++
	}
	return text[:end], text[next:]
}

func (o *Options) parseStdinLine(line string) {
	if line == "" || line[0] == '#' {
		return
	}
	name, value, hasEq := strings.Cut(line, "=")
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	i, known := lookupOption(name)
	switch {
	case !known && isSilentStdinKey(name):
	case !known && hasEq:
		o.warn(warnUnknownOption + strconv.Quote(name))
	case !known:
		o.warn(warnLineWithoutEq)
	case optionTable[i].kind != kindFlag:
		o.set(i, value)
	default:
		o.setStdinFlag(i, value)
	}
}

func isSilentStdinKey(name string) bool {
	for _, key := range silentStdinKeys {
		if name == key {
			return true
		}
	}
	return false
}

// setStdinFlag accepts fencing.py's spellings of true and false for a flag.
func (o *Options) setStdinFlag(i int, value string) {
	level := 0
	switch {
	case equalsAnyFold(value, "1", "yes", "on", "true"):
		o.set(i, "1")
		level = 1
	case equalsAnyFold(value, "0", "no", "off", "false"):
		o.set(i, "0")
	default:
		o.warn(warnFlagPrefix + optionTable[i].key + warnFlagSuffix)
		return
	}
	if optionTable[i].key == "verbose" {
		o.verboseCount = level
	}
}

func equalsAnyFold(value string, words ...string) bool {
	for _, w := range words {
		if strings.EqualFold(value, w) {
			return true
		}
	}
	return false
}

// ParseArgs parses a command line the way Python's getopt.gnu_getopt does for
// fencing.py: options and words may be permuted, "--" ends the options, short
// flags bundle (-vvv, -ooff), long options take "=value" or the next word and may
// be abbreviated to a unique prefix. Errors name the option, never a value.
func ParseArgs(args []string) (*Options, error) {
	o := &Options{}
	unused := 0
	for k := 0; k < len(args); k++ {
		arg := args[k]
		var consumed int
		var err error
		switch {
		case arg == "--":
			unused += len(args) - k - 1
			k = len(args)
		case strings.HasPrefix(arg, "--"):
			consumed, err = o.parseLong(arg[2:], args[k+1:])
		case len(arg) > 1 && arg[0] == '-':
			consumed, err = o.parseShorts(arg[1:], args[k+1:])
		default:
			unused++
		}
		if err != nil {
			return nil, err
		}
		k += consumed
	}
	if unused > 0 {
		o.warn(strconv.Itoa(unused) + warnUnusedArgs)
	}
	return o, nil
}

// parseLong handles "--name" or "--name=value"; it returns how many of the
// following words it used as the value.
func (o *Options) parseLong(body string, following []string) (int, error) {
	name, value, hasValue := strings.Cut(body, "=")
	i, err := matchLongOption(name)
	if err != nil {
		return 0, err
	}
	opt := &optionTable[i]
	consumed := 0
	switch {
	case !opt.takesValue() && hasValue:
		return 0, errors.New("Parse error: option '--" + opt.long + "' must not have an argument")
	case !opt.takesValue():
		o.setArgFlag(i)
		return 0, nil
	case !hasValue && len(following) == 0:
		return 0, errors.New("Parse error: option '--" + opt.long + "' requires an argument")
	case !hasValue:
		value, consumed = following[0], 1
	}
	o.set(i, value)
	return consumed, nil
}

// matchLongOption finds a long option by exact name or by unique prefix, as getopt.
func matchLongOption(name string) (int, error) {
	match, matches := -1, 0
	for i := range optionTable {
		long := optionTable[i].long
		if long == name {
			return i, nil
		}
		if name != "" && strings.HasPrefix(long, name) {
			match = i
			matches++
		}
	}
	switch matches {
	case 0:
		return 0, errors.New("Parse error: unknown option '--" + name + "'")
	case 1:
		return match, nil
	}
	return 0, errors.New("Parse error: option '--" + name + "' is not a unique prefix")
}

// parseShorts handles a bundle of short options such as "vvv" or "ooff"; an
// option that takes a value uses the rest of the bundle, or else the next word.
func (o *Options) parseShorts(bundle string, following []string) (int, error) {
	for k := 0; k < len(bundle); k++ {
		i, known := shortOption(bundle[k])
		if !known {
			return 0, errors.New("Parse error: unknown option '-" + bundle[k:k+1] + "'")
		}
		if !optionTable[i].takesValue() {
			o.setArgFlag(i)
			continue
		}
		switch {
		case k+1 < len(bundle):
			o.set(i, bundle[k+1:])
			return 0, nil
		case len(following) > 0:
			o.set(i, following[0])
			return 1, nil
		}
		return 0, errors.New("Parse error: option '-" + bundle[k:k+1] + "' requires an argument")
	}
	return 0, nil
}

func shortOption(letter byte) (int, bool) {
	if letter == 0 {
		return 0, false // 0 marks options without a short letter
	}
	for i := range optionTable {
		if optionTable[i].short == letter {
			return i, true
		}
	}
	return 0, false
}

// setArgFlag records a flag given on the command line; -v counts every time.
func (o *Options) setArgFlag(i int) {
	o.set(i, "1")
	if optionTable[i].key == "verbose" {
		o.verboseCount++
	}
}
