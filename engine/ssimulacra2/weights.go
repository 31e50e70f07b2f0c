package ssimulacra2

// weights are SSIMULACRA 2.1's 108 published weights, for an image with a
// given number of scales, indexed by channel (X, Y, B), scale (1:1 to
// 1:32), norm (1-norm, 4-norm) and map (SSIM, artifacts, lost detail).
// They were tuned on subjective scores (CID22, TID2013, KADID-10k,
// KonFiG-IQA) of images with all six scales. For an image with fewer, the
// reference tool takes the published list in order, channel after channel,
// over the scales it has, so that the Y and B channels get weights meant
// for other maps; the scores of small images depend on it, and it is kept.
var weights = func() (w [numScales + 1][3][numScales][2][3]float64) {
	flat := [108]float64{
		0.0, 0.0007376606707406586, 0.0,
		0.0, 0.0007793481682867309, 0.0,
		0.0, 0.0004371155730107379, 0.0,
		1.1041726426657346, 0.00066284834129271, 0.00015231632783718752,
		0.0, 0.0016406437456599754, 0.0,
		1.8422455520539298, 11.441172603757666, 0.0,
		0.0007989109436015163, 0.000176816438078653, 0.0,
		1.8787594979546387, 10.94906990605142, 0.0,
		0.0007289346991508072, 0.9677937080626833, 0.0,
		0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053,
		0.0004550992113792063, 0.0, 0.0,
		0.0013648766163243398, 0.0, 0.0,
		0.0, 0.0, 0.0,
		7.466890328078848, 0.0, 17.445833984131262,
		0.0006235601634041466, 0.0, 0.0,
		6.683678146179332, 0.00037724407979611296, 1.027889937768264,
		225.20515300849274, 0.0, 0.0,
		19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
		176.39317598450694, 0.0, 0.0,
		24.43300999870476, 0.28520802612117757, 0.0004485436923833408,
		0.0, 0.0, 0.0,
		34.77906344483772, 44.835625328877896, 0.0,
		0.0, 0.0, 0.0,
		0.0, 0.0, 0.0,
		0.0, 0.0008680556573291698, 0.0,
		0.0, 0.0, 0.0,
		0.0, 0.0005313191874358747, 0.0,
		0.00016533814161379112, 0.0, 0.0,
		0.0, 0.0, 0.0,
		0.0004179171803251336, 0.0017290828234722833, 0.0,
		0.0020827005846636437, 0.0, 0.0,
		8.826982764996862, 23.19243343998926, 0.0,
		95.1080498811086, 0.9863978034400682, 0.9834382792465353,
		0.0012286405048278493, 171.2667255897307, 0.9807858872435379,
		0.0, 0.0, 0.0,
		0.0005130064588990679, 0.0, 0.00010854057858411537,
	}
	for scales := 1; scales <= numScales; scales++ {
		i := 0
		for c := range 3 {
			for s := range scales {
				for n := range 2 {
					for m := range 3 {
						w[scales][c][s][n][m] = flat[i]
						i++
					}
				}
			}
		}
	}
	return w
}()

// ssimUsed and edgeUsed tell, for an image with a given number of scales,
// per channel and scale, whether the SSIM map and the edge maps have any
// weight. The tuning left some without (with six scales, the SSIM maps of
// X and B at full size, all of Y at 1:32): those maps are not computed,
// which changes no score.
var ssimUsed, edgeUsed = func() (ssim, edge [numScales + 1][3][numScales]bool) {
	for n := range weights {
		for c := range weights[n] {
			for s := range weights[n][c] {
				for _, w := range weights[n][c][s] {
					ssim[n][c][s] = ssim[n][c][s] || w[0] != 0
					edge[n][c][s] = edge[n][c][s] || w[1] != 0 || w[2] != 0
				}
			}
		}
	}
	return ssim, edge
}()
