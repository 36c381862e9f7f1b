// cast_<from>_<to>(shape, x, xStrides, y, yStrides): strided copy converting the element type.
// Float to integer truncates toward zero and saturates, NaN gives 0 (PTX cvt.rzi), as Java's casts do.

#define CAST_KERNEL(FS, FT, TS, TT) \
    extern "C" __global__ void cast_##FS##_##TS(TsShape s, const FT* x, TsStrides xs, TT* y, TsStrides ys) { \
        TS_FOR(i, s.numel) { y[ts_at(s, ys, i)] = (TT)x[ts_at(s, xs, i)]; } \
    }

CAST_KERNEL(f32, float, f64, double)
CAST_KERNEL(f32, float, i32, int)
CAST_KERNEL(f32, float, i64, long long)
CAST_KERNEL(f64, double, f32, float)
CAST_KERNEL(f64, double, i32, int)
CAST_KERNEL(f64, double, i64, long long)
CAST_KERNEL(i32, int, f32, float)
CAST_KERNEL(i32, int, f64, double)
CAST_KERNEL(i32, int, i64, long long)
CAST_KERNEL(i64, long long, f32, float)
CAST_KERNEL(i64, long long, f64, double)
CAST_KERNEL(i64, long long, i32, int)
