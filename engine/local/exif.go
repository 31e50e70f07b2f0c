package local

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"

	exif "github.com/dsoprea/go-exif/v3"
	exifcommon "github.com/dsoprea/go-exif/v3/common"
)

// EXIF tags the metadata policy acts on (tagOrientation is in tiffmeta.go).
const (
	tagExifIFD         = 0x8769
	tagGPSIFD          = 0x8825
	tagMakerNote       = 0x927c
	tagXMP             = 0x02bc
	tagPixelXDimension = 0xa002
	tagPixelYDimension = 0xa003
)

// layoutTags describe how a TIFF file lays out its pixels, or point at data
// outside the EXIF block (strips, tiles, thumbnails, sub-images), or carry
// what the output keeps another way (ICC profile, XMP) or not at all
// (Photoshop's resources, with their thumbnail). They are never copied into
// an output's EXIF: a TIFF original's first directory holds them beside its
// descriptive tags.
var layoutTags = []uint16{
	0x00fe, 0x00ff, // NewSubfileType, SubfileType
	0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0107, 0x010a, // size, bits, compression, photometric, …
	0x0111, 0x0115, 0x0116, 0x0117, 0x011c, // strips, samples per pixel, planar configuration
	0x0118, 0x0119, 0x013d, 0x0140, 0x0152, 0x0153, // min/max sample, predictor, colour map, extra samples, sample format
	0x0142, 0x0143, 0x0144, 0x0145, // tiles
	0x014a,         // SubIFDs
	0x0201, 0x0202, // JPEG thumbnail offset and length
	0x0211, 0x0212, 0x0213, 0x0214, // YCbCr coefficients, subsampling, positioning, reference black/white
	tagXMP, tagICCProfile, 0x8649, // XMP, ICC profile, Photoshop resources
}

// exifTables are the library's tables of the standard's directories and
// tags. Building them takes milliseconds, so it is done once; afterwards the
// workers only read them (the tag table is loaded whole at once, since the
// library would otherwise fill it on first use without a lock).
type exifTables struct {
	ifds *exifcommon.IfdMapping
	tags *exif.TagIndex
}

var loadExifTables = sync.OnceValues(func() (exifTables, error) {
	ifds, err := exifcommon.NewIfdMappingWithStandard()
	if err != nil {
		return exifTables{}, err
	}
	tags := exif.NewTagIndex()
	if err := exif.LoadStandardTags(tags); err != nil {
		return exifTables{}, err
	}
	return exifTables{ifds, tags}, nil
})

// keptExif rewrites an EXIF block (a TIFF structure) as the metadata policy
// asks: the orientation set to 1 since the pixels are upright, the pixel
// dimensions set to the output's, and without the thumbnail directory, the
// maker notes, the pixel-layout tags of layoutTags and, unless keepGPS, the
// GPS directory. It also returns the XMP packet a TIFF file keeps among its
// tags. A block the library cannot read is an error: it is then left out
// rather than copied blind.
func keptExif(raw []byte, keepGPS bool, width, height int) (out, xmp []byte, err error) {
	defer func() {
		// The library reports some malformed data by panicking.
		if p := recover(); p != nil {
			out, xmp, err = nil, nil, fmt.Errorf("the EXIF data cannot be read: %v", p)
		}
	}()
	raw = bytes.TrimPrefix(raw, exifPrefix)
	tables, err := loadExifTables()
	if err != nil {
		return nil, nil, err
	}
	im, ti := tables.ifds, tables.tags
	_, index, err := exif.Collect(im, ti, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("the EXIF data cannot be read: %w", err)
	}
	root := index.RootIfd
	if entries, _ := root.FindTagWithId(tagXMP); len(entries) > 0 {
		xmp, _ = entries[0].GetRawBytes()
	}
	skip := layoutTags
	if !keepGPS {
		skip = append(slices.Clip(skip), tagGPSIFD)
	}
	// A new first directory, with no next one: the thumbnail directory (or
	// a TIFF file's next page) is left behind.
	ib := exif.NewIfdBuilder(im, ti, exifcommon.IfdStandardIfdIdentity, root.ByteOrder())
	if err := ib.AddTagsFromExisting(root, nil, skip); err != nil {
		return nil, nil, fmt.Errorf("the EXIF data cannot be copied: %w", err)
	}
	if _, err := ib.Find(tagOrientation); err == nil {
		if err := ib.SetStandard(tagOrientation, []uint16{1}); err != nil {
			return nil, nil, err
		}
	}
	if sub, err := ib.ChildWithTagId(tagExifIFD); err == nil {
		if _, err := sub.DeleteAll(tagMakerNote); err != nil && !errors.Is(err, exif.ErrTagEntryNotFound) {
			return nil, nil, err
		}
		for tag, v := range map[uint16]int{tagPixelXDimension: width, tagPixelYDimension: height} {
			if _, err := sub.Find(tag); err == nil {
				if err := sub.SetStandard(tag, []uint32{uint32(v)}); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	out, err = exif.NewIfdByteEncoder().EncodeToExif(ib)
	if err != nil {
		return nil, nil, fmt.Errorf("the EXIF data cannot be written: %w", err)
	}
	return out, xmp, nil
}
