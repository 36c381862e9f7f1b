package dev.tessera.zoo;

import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.io.Safetensors;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Module;
import dev.tessera.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Moves weights between the zoo's {@link ResNet}, {@link VGG} and {@link AlexNet} and torchvision
 * state_dicts (as a safetensors file or a name-to-tensor map). Names follow torchvision:
 * {@code conv1}, {@code bn1}, {@code layer2.0.conv1}, {@code layer2.0.downsample.0}/{@code .1},
 * {@code fc} for ResNet; {@code features.i} (i counting every convolution, batch norm, ReLU and
 * pooling) and {@code classifier.j} for VGG and AlexNet. Layouts: convolution weights (out, in, kh,
 * kw) become HWIO kernels (kh, kw, in, out); linear weights (out, in) are transposed; the first
 * linear layer of VGG/AlexNet also reorders its inputs from PyTorch's (C, H, W) flattening to the
 * zoo's (H, W, C); batch norm weight, bias, running_mean and running_var become gamma, beta,
 * moving_mean and moving_variance ({@code num_batches_tracked} is ignored). A model not yet built
 * is built for 224x224x3 images first.
 */
public final class TorchvisionWeights {
    private enum Kind { CONV, LINEAR, FLAT_LINEAR, VECTOR }

    private record Binding(String torchName, Parameter param, Kind kind, long[] flatHw) {
    }

    private TorchvisionWeights() {
    }

    /** Loads a torchvision state_dict saved as safetensors into {@code model}. */
    public static void load(Module model, Path safetensors) throws IOException {
        load(model, Safetensors.load(safetensors));
    }

    /**
     * Copies every tensor the model needs from {@code stateDict}; fails naming the keys when one is
     * missing, unexpected or of the wrong shape.
     */
    public static void load(Module model, Map<String, Tensor> stateDict) {
        List<Binding> bindings = bindings(model);
        TreeSet<String> unexpected = new TreeSet<>(stateDict.keySet());
        TreeSet<String> missing = new TreeSet<>();
        for (Binding b : bindings) {
            unexpected.remove(b.torchName);
            if (!stateDict.containsKey(b.torchName)) {
                missing.add(b.torchName);
            }
        }
        unexpected.removeIf(k -> k.endsWith(".num_batches_tracked"));
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("TorchvisionWeights: state_dict does not fit " + model.name()
                    + " — missing " + missing + ", unexpected " + unexpected);
        }
        try (Grad ignored = Grad.disabled()) {
            for (Binding b : bindings) {
                Tensor src = stateDict.get(b.torchName);
                Tensor converted = fromTorch(b, src.to(b.param.value().dtype()).to(b.param.value().device()));
                b.param.assign(converted);
            }
        }
    }

    /** The model's weights as a torchvision state_dict (CPU tensors), e.g. to save with {@link Safetensors#write}. */
    public static Map<String, Tensor> stateDict(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Grad ignored = Grad.disabled()) {
            for (Binding b : bindings(model)) {
                out.put(b.torchName, toTorch(b, b.param.value().to(Device.cpu())).contiguous());
            }
        }
        return out;
    }

    private static Tensor fromTorch(Binding b, Tensor t) {
        Shape ours = b.param.value().shape();
        return switch (b.kind) {
            case VECTOR -> t;
            case CONV -> checked(b, t, 4).permute(2, 3, 1, 0);
            case LINEAR -> checked(b, t, 2).transpose(0, 1);
            case FLAT_LINEAR -> {
                long h = b.flatHw[0];
                long w = b.flatHw[1];
                long out = t.dim(0);
                long c = ours.dim(0) / (h * w);
                yield checked(b, t, 2).reshape(out, c, h, w).permute(2, 3, 1, 0).reshape(h * w * c, out);
            }
        };
    }

    private static Tensor toTorch(Binding b, Tensor v) {
        return switch (b.kind) {
            case VECTOR -> v;
            case CONV -> v.permute(3, 2, 0, 1);
            case LINEAR -> v.transpose(0, 1);
            case FLAT_LINEAR -> {
                long h = b.flatHw[0];
                long w = b.flatHw[1];
                long out = v.dim(1);
                long c = v.dim(0) / (h * w);
                yield v.reshape(h, w, c, out).permute(3, 2, 0, 1).reshape(out, c * h * w);
            }
        };
    }

    private static Tensor checked(Binding b, Tensor t, int rank) {
        if (t.shape().rank() != rank || t.numel() != b.param.value().numel()) {
            throw new IllegalArgumentException("TorchvisionWeights: " + b.torchName + " has shape " + t.shape()
                    + " — expected " + rank + " axes holding the elements of " + b.param.value().shape());
        }
        return t;
    }

    private static List<Binding> bindings(Module model) {
        if (!model.isBuilt()) {
            model.buildFor(Shape.of(1, 224, 224, 3));
        }
        List<Binding> out = new ArrayList<>();
        if (model instanceof ResNet) {
            resNet(model, out);
        } else if (model instanceof VGG || model instanceof AlexNet) {
            classic(model, model instanceof VGG ? 7 : 6, out);
        } else {
            throw new IllegalArgumentException("TorchvisionWeights: expected a ResNet, VGG or AlexNet — got "
                    + model.typeName());
        }
        return out;
    }

    private static void resNet(Module model, List<Binding> out) {
        for (Module m : model.children().values()) {
            if (m.name().startsWith("layer")) {
                int i = 0;
                for (Module block : m.children().values()) {
                    String prefix = m.name() + "." + i++ + ".";
                    int conv = 1;
                    int bn = 1;
                    for (Module layer : block.children().get("residual").children().values()) {
                        if (layer instanceof Conv2D) {
                            layer(prefix + "conv" + conv++, layer, null, out);
                        } else if (layer instanceof BatchNormalization) {
                            layer(prefix + "bn" + bn++, layer, null, out);
                        }
                    }
                    Module shortcut = block.children().get("shortcut");
                    if (shortcut != null) {
                        int j = 0;
                        for (Module layer : shortcut.children().values()) {
                            layer(prefix + "downsample." + j++, layer, null, out);
                        }
                    }
                }
            } else if (m instanceof Conv2D) {
                layer("conv1", m, null, out);
            } else if (m instanceof BatchNormalization) {
                layer("bn1", m, null, out);
            } else if (m instanceof Dense) {
                layer("fc", m, null, out);
            }
        }
    }

    /**
     * VGG's and AlexNet's features: every zoo layer before the adaptive pooling is one torchvision
     * module, except that AlexNet's convolutions carry their ReLU (one more index each); the
     * classifier's linear layers sit at 0, 3, 6 (VGG) or 1, 4, 6 (AlexNet).
     */
    private static void classic(Module model, int pooled, List<Binding> out) {
        boolean alex = model instanceof AlexNet;
        int feature = 0;
        int linear = 0;
        int[] classifier = alex ? new int[] {1, 4, 6} : new int[] {0, 3, 6};
        boolean inFeatures = true;
        for (Module m : model.children().values()) {
            if (m instanceof AdaptiveAveragePooling2D) {
                inFeatures = false;
            } else if (inFeatures) {
                layer("features." + feature, m, null, out);
                feature += alex && m instanceof Conv2D ? 2 : 1;
            } else if (m instanceof Dense) {
                long[] flat = linear == 0 ? new long[] {pooled, pooled} : null;
                layer("classifier." + classifier[linear++], m, flat, out);
            }
        }
    }

    private static void layer(String torchName, Module m, long[] flatHw, List<Binding> out) {
        Map<String, Parameter> p = m.localParameters();
        if (m instanceof Conv2D) {
            out.add(new Binding(torchName + ".weight", p.get("kernel"), Kind.CONV, null));
            if (p.containsKey("bias")) {
                out.add(new Binding(torchName + ".bias", p.get("bias"), Kind.VECTOR, null));
            }
        } else if (m instanceof BatchNormalization) {
            out.add(new Binding(torchName + ".weight", p.get("gamma"), Kind.VECTOR, null));
            out.add(new Binding(torchName + ".bias", p.get("beta"), Kind.VECTOR, null));
            out.add(new Binding(torchName + ".running_mean", p.get("moving_mean"), Kind.VECTOR, null));
            out.add(new Binding(torchName + ".running_var", p.get("moving_variance"), Kind.VECTOR, null));
        } else if (m instanceof Dense) {
            out.add(new Binding(torchName + ".weight", p.get("kernel"), flatHw == null ? Kind.LINEAR : Kind.FLAT_LINEAR,
                    flatHw));
            out.add(new Binding(torchName + ".bias", p.get("bias"), Kind.VECTOR, null));
        }
    }
}
