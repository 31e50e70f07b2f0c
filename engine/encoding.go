package engine

import "fmt"

// Encoding says how an output was encoded.
type Encoding struct {
	// Quality is the lossy quality used, 0–100; unused when Lossless.
	Quality int
	// Lossless is set for a lossless output.
	Lossless bool
	// Auto is set when the quality was chosen for the image by the auto
	// search (Options.AutoQuality).
	Auto bool
	// Score is the output's SSIMULACRA 2 score against the source (100 is
	// identical), measured by the auto search; 0 when not measured.
	Score float64
}

// String words the encoding for people: "q82", "lossless", "auto → q74",
// "auto → lossless".
func (e Encoding) String() string {
	s := fmt.Sprintf("q%d", e.Quality)
	if e.Lossless {
		s = "lossless"
	}
	if e.Auto {
		return "auto → " + s
	}
	return s
}
