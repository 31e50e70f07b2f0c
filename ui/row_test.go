package ui

import "testing"

func TestSaving_WordsShrinkAndGrowth(t *testing.T) {
	for _, c := range []struct {
		in, out int64
		want    string
	}{
		{2_000_000, 500_000, "−75 %"},
		{1000, 1000, "−0 %"},
		{1000, 1100, "+10 %"}, // kept larger (Skip larger off)
		{0, 10, ""},
	} {
		if got := saving(c.in, c.out); got != c.want {
			t.Errorf("saving(%d, %d) = %q, want %q", c.in, c.out, got, c.want)
		}
	}
}
