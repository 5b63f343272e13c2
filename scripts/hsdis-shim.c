/*
 * Lets JDK 25 print C2's machine code with Debian's libhsdis0-fcml, which only exports the old
 * decode_instructions entry point (JDK 25 looks for decode_instructions_virtual):
 *   apt-get install libhsdis0-fcml
 *   gcc -shared -fPIC -O2 -o hsdis-amd64.so scripts/hsdis-shim.c -ldl
 *   cp hsdis-amd64.so $JAVA_HOME/lib/server/
 *   java -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,io.parla.core.kernels.FusedTiles::i8 \
 *        -XX:PrintAssemblyOptions=intel ...
 * Code is disassembled where it lies, so the printed addresses are the real ones.
 */
#include <stdint.h>
#include <dlfcn.h>

typedef void *(*decode_fn)(void *, void *, void *(*)(void *, const char *, void *), void *,
                           int (*)(void *, const char *, ...), void *, const char *);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  void *(*event)(void *, const char *, void *), void *event_stream,
                                  int (*printf_fn)(void *, const char *, ...), void *printf_stream,
                                  const char *options, int newline) {
    static decode_fn decode;
    (void) start_va; (void) end_va; (void) newline;
    if (!decode) {
        void *lib = dlopen("libhsdis.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!lib) return 0;
        decode = (decode_fn) dlsym(lib, "decode_instructions");
        if (!decode) return 0;
    }
    return decode(buffer, buffer + length, event, event_stream, printf_fn, printf_stream, options);
}
