package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fluxdesk/engine/apikey"
	"fluxdesk/engine/remote"
)

// runUsage prints the plan and this month's counts of the key in force.
func runUsage(env *Env, args []string) int {
	fs := newFlagSet("usage", "usage [--api-url URL]", env.Stderr)
	apiURL := fs.String("api-url", "", "Fluximage server (default: $"+apikey.EnvBaseURL+", else "+apikey.DefaultBaseURL+")")
	if status, ok := parseNoArgs(env, fs, args, ""); !ok {
		return status
	}
	base, err := apikey.ResolveBaseURL(*apiURL)
	if err != nil {
		return usageError(env, "usage", err.Error())
	}
	key, err := currentKey()
	if err != nil {
		return usageError(env, "usage", err.Error()) // as compress --engine remote does
	}
	client, err := remote.NewClient(base, remote.ClientOptions{})
	if err != nil {
		return usageError(env, "usage", err.Error())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	u, err := client.Usage(ctx, key)
	switch {
	case errors.Is(err, remote.ErrKeyRejected):
		fmt.Fprintf(env.Stderr, "fluxdesk usage: %v %s\n", err, rolledKeyHelp)
		return ExitFailed
	case err != nil:
		fmt.Fprintf(env.Stderr, "fluxdesk usage: %v\n", err)
		return ExitFailed
	}
	printUsageReport(env, u)
	return ExitOK
}

func printUsageReport(env *Env, u remote.Usage) {
	w := env.Stdout
	fmt.Fprintf(w, "Plan:          %s\n", u.Plan)
	if u.CompressorLimit > 0 {
		fmt.Fprintf(w, "Compressions:  %d of %d used this month\n", u.CompressorUsed, u.CompressorLimit)
	} else {
		fmt.Fprintf(w, "Compressions:  %d used this month\n", u.CompressorUsed)
	}
	if u.CanCompress {
		fmt.Fprintln(w, "Can compress:  yes")
	} else {
		fmt.Fprintln(w, "Can compress:  no, the monthly quota is used up")
	}
	fmt.Fprintf(w, "AI credits:    %d of %d used this month, %d top-up, %d remaining\n",
		u.IACreditsUsed, u.IACreditsMonthly, u.IATopupCredits, u.IACreditsRemaining)
}
