// The hostile-input tests use the fuzzer's zip writer (one implementation, scripts/fuzz/zip.mjs).
export { writeZip, zeroBomb, zipBuffer, type ZipEntry } from '../../../scripts/fuzz/zip.mjs';
