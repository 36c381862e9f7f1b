// copy_strided_x<bits>(shape, x, xStrides, y, yStrides): same-dtype strided copy, by element width
// (x32 serves FLOAT32 and INT32, x64 FLOAT64 and INT64).

#define COPY_KERNEL(SUF, T) \
    extern "C" __global__ void copy_strided_##SUF(TsShape s, const T* x, TsStrides xs, T* y, TsStrides ys) { \
        TS_FOR(i, s.numel) { y[ts_at(s, ys, i)] = x[ts_at(s, xs, i)]; } \
    }

COPY_KERNEL(x32, unsigned int)
COPY_KERNEL(x64, unsigned long long)
