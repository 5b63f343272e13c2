package io.parla.secousticodec;

import java.util.Arrays;

/**
 * FIFO of activation rows {@code [n, width]}. Streaming branches that are later added together (residual
 * paths, the vocoder's source and main paths, the three parallel ResBlocks) produce the same rows at different
 * times; each branch's rows wait here until the slowest branch has caught up.
 */
final class RowQueue {
    private final int width;
    private float[] buf = new float[0];
    private int head, tail;  // valid values buf[head, tail)

    RowQueue(int width) {
        this.width = width;
    }

    void add(float[] rows) {
        if (rows.length % width != 0)
            throw new IllegalArgumentException(rows.length + " values are not whole rows of " + width);
        if (tail + rows.length > buf.length) {
            int live = tail - head;
            float[] n = live + rows.length > buf.length ? new float[Math.max(2 * buf.length, live + rows.length)] : buf;
            System.arraycopy(buf, head, n, 0, live);
            buf = n;
            head = 0;
            tail = live;
        }
        System.arraycopy(rows, 0, buf, tail, rows.length);
        tail += rows.length;
    }

    int size() {
        return (tail - head) / width;
    }

    /** Removes and returns the oldest {@code n} rows. */
    float[] take(int n) {
        if (n > size()) throw new IllegalStateException("queue holds " + size() + " rows, " + n + " requested");
        float[] r = Arrays.copyOfRange(buf, head, head + n * width);
        head += n * width;
        return r;
    }
}
