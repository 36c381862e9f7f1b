package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorErrorsTest {

    @Test
    void matmulInnerDimensionMismatchNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(32, 128).matmul(Tensor.zeros(64, 10)));
        assertEquals("matmul: inner dimensions differ — got (32, 128) and (64, 10)", e.getMessage());
    }

    @Test
    void broadcastMismatchNamesTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: shapes cannot be broadcast together — got (2, 3) and (4,)", e.getMessage());
    }

    @Test
    void usingAClosedTensorThrowsIllegalStateException() {
        Tensor x = Tensor.ones(2, 2);
        x.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.add(x));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, x::toFloatArray);
        assertEquals("tensor(<closed>, shape=(2, 2), dtype=float32)", x.toString());
    }

    @Test
    void mixingDevicesNamesBoth() {
        Device other = new Device(Device.Kind.CPU, 1);
        Tensor a = Tensor.ones(Shape.of(2), DType.FLOAT32, Device.cpu());
        Tensor b = Tensor.ones(Shape.of(2), DType.FLOAT32, other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(b));
        assertEquals("mul: tensors are on different devices — got cpu and cpu:1; move one with to(Device)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b.reshape(2, 1)));
    }

    @Test
    void toDeviceCopiesBetweenDevices() {
        Device other = new Device(Device.Kind.CPU, 1);
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor b = a.to(other);
        assertEquals(other, b.device());
        assertEquals(6.0, b.sum().item());
    }

    @Test
    void reshapeToAnotherSizeSaysBothElementCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertEquals("reshape: cannot reshape (2, 3) (6 elements) into (4, 2) (8 elements)", e.getMessage());
    }

    @Test
    void integerTensorsCannotRequireGradients() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).requiresGrad(true));
    }

    @Test
    void matmulOfTwoVectorsIsTheirDotProduct() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor b = Tensor.of(new double[] {4, 5, 6}, 3);
        Tensor d = a.matmul(b);
        assertEquals(Shape.scalar(), d.shape());
        assertEquals(32.0, d.item());
    }

    @Test
    void matmulWithVectorsDropsTheirAxis() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(Shape.of(3), Tensor.of(new double[] {1, 1}, 2).matmul(m).shape());
        assertEquals(Shape.of(2), m.matmul(Tensor.of(new double[] {1, 0, 1}, 3)).shape());
    }
}
