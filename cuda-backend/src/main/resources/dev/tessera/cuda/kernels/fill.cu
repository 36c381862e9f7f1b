// fill_value_<dtype>(shape, y, yStrides, value): every element of y (any layout) = value.

#define FILL_KERNEL(SUF, T) \
    extern "C" __global__ void fill_value_##SUF(TsShape s, T* y, TsStrides ys, double value) { \
        T v = (T)value; \
        TS_FOR(i, s.numel) { y[ts_at(s, ys, i)] = v; } \
    }

FILL_KERNEL(f32, float)
FILL_KERNEL(f64, double)
FILL_KERNEL(i32, int)
FILL_KERNEL(i64, long long)
