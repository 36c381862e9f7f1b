// Batch normalisation over channels-last x of logical shape s (..., C): element i has channel i % C.
// mean, invStd, scale, bias, dScale and dBias are contiguous vectors of C values.
//   norm_batch_forward_<dtype>:     y = (x - mean) * invStd * scale + bias
//   norm_batch_param_grads_<dtype>: per channel (one block each, grid stride): dBias = sum(dy),
//                                   dScale = sum(dy * xhat) over the rows, xhat = (x - mean) * invStd
//   norm_batch_input_grad_<dtype>:  training: dx = scale * invStd * (dy - dBias / rows - xhat * dScale / rows)
//                                   (mean and invStd are the batch's own statistics); else dx = dy * scale * invStd

#define TS_NORM_THREADS 256

#define NORM_KERNELS(SUF, T) \
    extern "C" __global__ void norm_batch_forward_##SUF(TsShape s, const T* x, TsStrides xs, const T* mean, \
                                                       const T* invStd, const T* scale, const T* bias, T* y, \
                                                       TsStrides ys, ts_i64 channels) { \
        TS_FOR(i, s.numel) { \
            ts_i64 c = i % channels; \
            y[ts_at(s, ys, i)] = (x[ts_at(s, xs, i)] - mean[c]) * invStd[c] * scale[c] + bias[c]; \
        } \
    } \
    extern "C" __global__ void norm_batch_param_grads_##SUF(TsShape s, const T* x, TsStrides xs, const T* dy, \
                                                           TsStrides dys, const T* mean, const T* invStd, \
                                                           T* dScale, T* dBias, ts_i64 rows, ts_i64 channels) { \
        __shared__ T sumDy[TS_NORM_THREADS]; \
        __shared__ T sumDyXhat[TS_NORM_THREADS]; \
        for (ts_i64 c = blockIdx.x; c < channels; c += gridDim.x) { \
            T a = (T)0, b = (T)0; \
            for (ts_i64 r = threadIdx.x; r < rows; r += blockDim.x) { \
                ts_i64 i = r * channels + c; \
                T g = dy[ts_at(s, dys, i)]; \
                a += g; \
                b += g * (x[ts_at(s, xs, i)] - mean[c]) * invStd[c]; \
            } \
            sumDy[threadIdx.x] = a; \
            sumDyXhat[threadIdx.x] = b; \
            __syncthreads(); \
            for (unsigned w = blockDim.x / 2; w > 0; w >>= 1) { \
                if (threadIdx.x < w) { \
                    sumDy[threadIdx.x] += sumDy[threadIdx.x + w]; \
                    sumDyXhat[threadIdx.x] += sumDyXhat[threadIdx.x + w]; \
                } \
                __syncthreads(); \
            } \
            if (threadIdx.x == 0) { \
                dBias[c] = sumDy[0]; \
                dScale[c] = sumDyXhat[0]; \
            } \
            __syncthreads(); \
        } \
    } \
    extern "C" __global__ void norm_batch_input_grad_##SUF(TsShape s, const T* x, TsStrides xs, const T* dy, \
                                                          TsStrides dys, const T* mean, const T* invStd, \
                                                          const T* scale, const T* dScale, const T* dBias, T* dx, \
                                                          TsStrides dxs, ts_i64 rows, ts_i64 channels, \
                                                          int training) { \
        TS_FOR(i, s.numel) { \
            ts_i64 c = i % channels; \
            T g = dy[ts_at(s, dys, i)]; \
            T k = scale[c] * invStd[c]; \
            if (training) { \
                T xhat = (x[ts_at(s, xs, i)] - mean[c]) * invStd[c]; \
                g = g - dBias[c] / (T)rows - xhat * dScale[c] / (T)rows; \
            } \
            dx[ts_at(s, dxs, i)] = g * k; \
        } \
    }

NORM_KERNELS(f32, float)
NORM_KERNELS(f64, double)
