// Command argocd-health runs Argo CD resource health scripts the way Argo CD does, so that
// Falconer's health.lua files can be tested without an Argo CD installation.
//
// Argo CD (util/lua/lua.go) runs a script in gopher-lua (Lua 5.1) with the standard libraries
// skipped: only package, base and table are opened (plus a reduced os that these scripts do not
// need, so it is left out here). The live object is the global `obj`, the script gets one second,
// and the table it returns must carry a status from a fixed set; any other status is reported as
// Unknown. This harness reproduces exactly that sandbox, so a script that calls string.* or
// math.* fails here as it would in Argo CD.
//
// Usage: argocd-health <health.lua> <object.yaml|object.json|->...
// Prints one JSON line per object: {"input", "status", "message"} or {"input", "error"}.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

const scriptTimeout = time.Second

// The statuses Argo CD accepts from a health script (gitops-engine health.HealthStatusCode).
var validStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

type result struct {
	Input   string `json:"input"`
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: argocd-health <health.lua> <object.yaml|->...")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	for _, input := range os.Args[2:] {
		if err := out.Encode(evaluate(string(script), input)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}

func evaluate(script, input string) result {
	obj, err := readObject(input)
	if err != nil {
		return result{Input: input, Error: err.Error()}
	}
	status, message, err := runHealth(script, obj)
	if err != nil {
		return result{Input: input, Error: err.Error()}
	}
	return result{Input: input, Status: status, Message: message}
}

// readObject decodes YAML or JSON into the same generic shape as unstructured.Unstructured.
func readObject(input string) (map[string]interface{}, error) {
	var data []byte
	var err error
	if input == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(input)
	}
	if err != nil {
		return nil, err
	}
	var obj map[string]interface{}
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", input, err)
	}
	return obj, nil
}

func runHealth(script string, obj map[string]interface{}) (string, string, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return "", "", err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return "", "", err
	}
	returned, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("expect table output from Lua script, not %s", l.Get(-1).Type().String())
	}
	status := lua.LVAsString(returned.RawGetString("status"))
	message := lua.LVAsString(returned.RawGetString("message"))
	if !validStatuses[status] {
		// Argo CD replaces the whole result, message included.
		return "Unknown", "Lua returned an invalid health status", nil
	}
	return status, message, nil
}

// toLua converts decoded JSON as Argo CD's decodeValue does: objects and arrays become tables,
// numbers become Lua numbers, null becomes nil.
func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []interface{}:
		table := l.CreateTable(len(v), 0)
		for _, item := range v {
			table.Append(toLua(l, item))
		}
		return table
	case map[string]interface{}:
		table := l.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetH(lua.LString(key), toLua(l, item))
		}
		return table
	}
	return lua.LNil
}
