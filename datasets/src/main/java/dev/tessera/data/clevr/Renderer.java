package dev.tessera.data.clevr;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws a {@link Scene} headlessly with Java2D: a shaded ground, soft shadows, then the objects far to near
 * (painter's order). Rubber is shaded smoothly and matte; metal gets strong contrast, a dark rim and a sharp
 * white highlight. One renderer reuses one image buffer, so it is not thread-safe: use one per thread.
 */
public final class Renderer {
    // Light comes from the upper left; shadows fall to the lower right.
    private static final Color GROUND_FAR = new Color(138, 138, 142);
    private static final Color GROUND_NEAR = new Color(188, 188, 184);
    private static final Color SHADOW = new Color(0, 0, 0, 60);
    private static final double CUBE_SIDE = 1.6;
    private static final double CUBE_DEPTH_X = 0.3;
    private static final double CUBE_DEPTH_Y = 0.4;
    private static final double CYLINDER_RADIUS = 0.9;
    private static final double CYLINDER_HEIGHT = 1.7;
    private static final double CYLINDER_TILT = 0.35;

    private final int size;
    private final BufferedImage image;

    /** A renderer for square images of {@code size} pixels. */
    public Renderer(int size) {
        if (size < 16) {
            throw new IllegalArgumentException("Renderer: image size must be at least 16 — got " + size);
        }
        this.size = size;
        this.image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    }

    /** The pixel box an object's drawing covers (used to keep objects from hiding each other). */
    public static Rectangle2D bounds(SceneObject o) {
        double r = o.pixelRadius();
        return switch (o.shape()) {
            case SPHERE -> new Rectangle2D.Double(o.pixelX() - r, o.pixelY() - 2 * r, 2 * r, 2 * r);
            case CUBE -> {
                double a = CUBE_SIDE * r;
                double left = o.pixelX() - 0.5 * (1 + CUBE_DEPTH_X) * a;
                double bottom = o.pixelY() + 0.5 * CUBE_DEPTH_Y * a;
                yield new Rectangle2D.Double(left, bottom - (1 + CUBE_DEPTH_Y) * a, (1 + CUBE_DEPTH_X) * a,
                        (1 + CUBE_DEPTH_Y) * a);
            }
            case CYLINDER -> {
                double rx = CYLINDER_RADIUS * r;
                double ry = CYLINDER_TILT * rx;
                double h = CYLINDER_HEIGHT * r;
                yield new Rectangle2D.Double(o.pixelX() - rx, o.pixelY() - h - ry, 2 * rx, h + 2 * ry);
            }
        };
    }

    /** Renders {@code scene} and returns the renderer's image (overwritten by the next call). */
    public BufferedImage render(Scene scene) {
        if (scene.imageSize() != size) {
            throw new IllegalArgumentException("Renderer: scene laid out for " + scene.imageSize()
                    + " pixels — got a renderer of " + size);
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            g.setPaint(new GradientPaint(0, 0, GROUND_FAR, 0, size, GROUND_NEAR));
            g.fillRect(0, 0, size, size);
            List<SceneObject> order = new ArrayList<>(scene.objects());
            order.sort(Comparator.comparingDouble(SceneObject::depth).reversed());
            g.setColor(SHADOW);
            for (SceneObject o : order) {
                double r = o.pixelRadius();
                g.fill(new Ellipse2D.Double(o.pixelX() - 0.8 * r, o.pixelY() - 0.3 * r, 2.3 * r, 0.75 * r));
            }
            for (SceneObject o : order) {
                switch (o.shape()) {
                    case SPHERE -> drawSphere(g, o);
                    case CUBE -> drawCube(g, o);
                    case CYLINDER -> drawCylinder(g, o);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders {@code scene} as {@code size * size * 3} values in 0..255, row-major height, width, channel. */
    public int[] renderHwc(Scene scene) {
        int[] packed = ((DataBufferInt) render(scene).getRaster().getDataBuffer()).getData();
        int[] hwc = new int[packed.length * 3];
        for (int i = 0, j = 0; i < packed.length; i++, j += 3) {
            int p = packed[i];
            hwc[j] = (p >>> 16) & 0xFF;
            hwc[j + 1] = (p >>> 8) & 0xFF;
            hwc[j + 2] = p & 0xFF;
        }
        return hwc;
    }

    private static void drawSphere(Graphics2D g, SceneObject o) {
        double r = o.pixelRadius();
        double cx = o.pixelX();
        double cy = o.pixelY() - r;
        Color c = new Color(o.color().rgb());
        Point2D light = new Point2D.Double(cx - 0.35 * r, cy - 0.4 * r);
        boolean metal = o.material() == ObjectMaterial.METAL;
        float[] stops = metal ? new float[] {0f, 0.12f, 0.45f, 1f} : new float[] {0f, 1f};
        Color[] colors = metal
                ? new Color[] {mix(c, Color.WHITE, 0.9), mix(c, Color.WHITE, 0.3), c, shade(c, 0.18)}
                : new Color[] {mix(c, Color.WHITE, 0.2), shade(c, 0.5)};
        g.setPaint(new RadialGradientPaint(light, (float) (1.35 * r), stops, colors));
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        if (metal) {
            highlight(g, light.getX(), light.getY(), 0.22 * r, 0.16 * r);
        }
    }

    private static void drawCube(Graphics2D g, SceneObject o) {
        double a = CUBE_SIDE * o.pixelRadius();
        double dx = CUBE_DEPTH_X * a;
        double dy = CUBE_DEPTH_Y * a;
        double left = o.pixelX() - 0.5 * (a + dx);
        double bottom = o.pixelY() + 0.5 * dy;
        double top = bottom - a;
        Color c = new Color(o.color().rgb());
        boolean metal = o.material() == ObjectMaterial.METAL;
        Path2D front = quad(left, top, left + a, top, left + a, bottom, left, bottom);
        Path2D lid = quad(left, top, left + a, top, left + a + dx, top - dy, left + dx, top - dy);
        Path2D side = quad(left + a, top, left + a + dx, top - dy, left + a + dx, bottom - dy, left + a, bottom);
        if (metal) {
            g.setPaint(new GradientPaint((float) left, (float) top, mix(c, Color.WHITE, 0.35),
                    (float) (left + a), (float) bottom, shade(c, 0.3)));
            g.fill(front);
            g.setPaint(new GradientPaint((float) left, (float) (top - dy), mix(c, Color.WHITE, 0.75),
                    (float) (left + a), (float) top, c));
            g.fill(lid);
            g.setColor(shade(c, 0.22));
            g.fill(side);
            highlight(g, left + 0.3 * a, top - 0.45 * dy, 0.22 * a, 0.1 * a);
        } else {
            g.setColor(shade(c, 0.82));
            g.fill(front);
            g.setColor(mix(c, Color.WHITE, 0.18));
            g.fill(lid);
            g.setColor(shade(c, 0.58));
            g.fill(side);
        }
    }

    private static void drawCylinder(Graphics2D g, SceneObject o) {
        double rx = CYLINDER_RADIUS * o.pixelRadius();
        double ry = CYLINDER_TILT * rx;
        double h = CYLINDER_HEIGHT * o.pixelRadius();
        double cx = o.pixelX();
        double base = o.pixelY();
        Color c = new Color(o.color().rgb());
        boolean metal = o.material() == ObjectMaterial.METAL;
        float[] stops = metal ? new float[] {0f, 0.22f, 0.32f, 1f} : new float[] {0f, 1f};
        Color[] colors = metal
                ? new Color[] {shade(c, 0.45), mix(c, Color.WHITE, 0.85), c, shade(c, 0.2)}
                : new Color[] {mix(c, Color.WHITE, 0.08), shade(c, 0.55)};
        g.setPaint(new LinearGradientPaint((float) (cx - rx), 0f, (float) (cx + rx), 0f, stops, colors));
        Path2D body = new Path2D.Double();
        body.append(new Rectangle2D.Double(cx - rx, base - h, 2 * rx, h), false);
        body.append(new Ellipse2D.Double(cx - rx, base - ry, 2 * rx, 2 * ry), false);
        g.fill(body);
        g.setColor(mix(c, Color.WHITE, metal ? 0.5 : 0.15));
        g.fill(new Ellipse2D.Double(cx - rx, base - h - ry, 2 * rx, 2 * ry));
        if (metal) {
            highlight(g, cx - 0.35 * rx, base - h, 0.25 * rx, 0.35 * ry);
        }
    }

    private static void highlight(Graphics2D g, double cx, double cy, double rx, double ry) {
        g.setColor(new Color(255, 255, 255, 220));
        g.fill(new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry));
    }

    private static Path2D quad(double x0, double y0, double x1, double y1, double x2, double y2, double x3,
                               double y3) {
        Path2D p = new Path2D.Double();
        p.moveTo(x0, y0);
        p.lineTo(x1, y1);
        p.lineTo(x2, y2);
        p.lineTo(x3, y3);
        p.closePath();
        return p;
    }

    private static Color shade(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    private static Color mix(Color c, Color d, double t) {
        return new Color(clamp(c.getRed() + (d.getRed() - c.getRed()) * t),
                clamp(c.getGreen() + (d.getGreen() - c.getGreen()) * t),
                clamp(c.getBlue() + (d.getBlue() - c.getBlue()) * t));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
