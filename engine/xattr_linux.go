package engine

import "syscall"

// setAttr sets an extended attribute of the file at path, if the file
// system allows it.
func setAttr(path, name string, value []byte) {
	syscall.Setxattr(path, name, value, 0)
}

// getAttr reads an extended attribute of at most limit bytes.
func getAttr(path, name string, limit int) ([]byte, bool) {
	buf := make([]byte, limit)
	n, err := syscall.Getxattr(path, name, buf)
	if err != nil {
		return nil, false
	}
	return buf[:n], true
}
