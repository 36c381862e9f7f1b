package dev.tessera;

/** Where a tensor lives: the CPU or the N-th CUDA device. */
public record Device(Kind kind, int index) {

    /** The kinds of device Tessera knows. */
    public enum Kind { CPU, CUDA }

    private static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (kind == null) {
            throw new IllegalArgumentException("Device: kind must not be null");
        }
        if (index < 0) {
            throw new IllegalArgumentException("Device: index must be >= 0 — got " + index);
        }
    }

    /** The host CPU. */
    public static Device cpu() {
        return CPU;
    }

    /** The CUDA device with the given ordinal; usable when tessera-cuda is on the class path. */
    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** Parses "cpu", "cuda" or "cuda:N". */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("cuda")) {
            return cuda(0);
        }
        if (t.startsWith("cuda:") || t.startsWith("cpu:")) {
            int colon = t.indexOf(':');
            try {
                int index = Integer.parseInt(t.substring(colon + 1));
                return t.startsWith("cpu") ? new Device(Kind.CPU, index) : cuda(index);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Device.parse: bad device ordinal — got '" + text + "'");
            }
        }
        throw new IllegalArgumentException("Device.parse: expected cpu, cpu:N, cuda or cuda:N — got '" + text + "'");
    }

    @Override
    public String toString() {
        if (kind == Kind.CPU) {
            return index == 0 ? "cpu" : "cpu:" + index;
        }
        return "cuda:" + index;
    }
}
