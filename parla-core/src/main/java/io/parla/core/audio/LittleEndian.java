package io.parla.core.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian field access on byte arrays, as RIFF headers and WAV samples are laid out. */
final class LittleEndian {
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    static int u16(byte[] b, int off) {
        return (short) SHORT.get(b, off) & 0xFFFF;
    }

    static long u32(byte[] b, int off) {
        return (int) INT.get(b, off) & 0xFFFFFFFFL;
    }

    static long u64(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    static void put32(byte[] b, int off, long v) {
        INT.set(b, off, (int) v);
    }
}
