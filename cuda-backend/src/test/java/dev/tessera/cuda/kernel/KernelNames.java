package dev.tessera.cuda.kernel;

import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every kernel name CudaBackend asks for, per family: what the nvcc and NVRTC checks look for. */
public final class KernelNames {
    private static final String[] DTYPES = {"f32", "f64", "i32", "i64"};
    private static final String[] FLOATS = {"f32", "f64"};

    private KernelNames() {
    }

    /** The kernel names CudaBackend builds for a family. */
    public static List<String> of(String family) {
        List<String> names = new ArrayList<>();
        switch (family) {
            case "unary" -> {
                for (UnaryOp op : UnaryOp.values()) {
                    for (String t : DTYPES) {
                        names.add("unary_" + op.kernel() + "_" + t);
                    }
                }
            }
            case "binary" -> {
                for (String t : DTYPES) {
                    for (BinaryOp op : BinaryOp.values()) {
                        names.add("binary_" + op.kernel() + "_" + t);
                    }
                    for (String c : DTYPES) {
                        names.add("binary_where_" + t + "_" + c);
                    }
                }
            }
            case "reduce" -> {
                for (ReduceOp op : ReduceOp.values()) {
                    for (String t : DTYPES) {
                        names.add("reduce_" + op.kernel() + "_" + t);
                    }
                }
            }
            case "indexing" -> {
                for (String t : DTYPES) {
                    for (String i : new String[] {"i32", "i64"}) {
                        names.add("indexing_gather_" + t + "_" + i);
                        names.add("indexing_scatter_add_" + t + "_" + i);
                    }
                }
            }
            case "fill" -> {
                for (String t : DTYPES) {
                    names.add("fill_value_" + t);
                }
            }
            case "cast" -> {
                for (String from : DTYPES) {
                    for (String to : DTYPES) {
                        if (!from.equals(to)) {
                            names.add("cast_" + from + "_" + to);
                        }
                    }
                }
            }
            case "copy" -> {
                names.add("copy_strided_x32");
                names.add("copy_strided_x64");
            }
            case "random" -> {
                for (RandomOp op : RandomOp.values()) {
                    for (String t : FLOATS) {
                        names.add("random_" + op.name().toLowerCase(Locale.ROOT) + "_" + t);
                    }
                }
            }
            case "pool" -> {
                for (String t : FLOATS) {
                    for (String k : new String[] {"max", "avg"}) {
                        names.add("pool_" + k + "_" + t);
                        names.add("pool_" + k + "_backward_" + t);
                    }
                }
            }
            case "norm" -> {
                for (String t : FLOATS) {
                    names.add("norm_batch_forward_" + t);
                    names.add("norm_batch_param_grads_" + t);
                    names.add("norm_batch_input_grad_" + t);
                }
            }
            default -> throw new IllegalStateException("no expectation for family " + family);
        }
        return names;
    }
}
