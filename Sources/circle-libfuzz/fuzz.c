// libFuzzer's target for the frame decoder and the request parser. Written in C because
// SwiftPM renames a Swift executable's entry point with `--defsym main=...`, which clashes
// with libFuzzer's own main; a C executable is linked as it is. Built by Fuzz/libfuzz.sh with
// -sanitize=fuzzer; an ordinary build gets a main that says how to build it.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int circle_fuzz_one(const uint8_t *data, long size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return circle_fuzz_one(data, (long)size);
}

#ifndef CIRCLE_LIBFUZZER
int main(void) {
    fputs("circle-libfuzz: build it with Fuzz/libfuzz.sh (libFuzzer, -sanitize=fuzzer).\n", stderr);
    return 2;
}
#endif
