package io.tessera.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EjmlGemmNoticeTest {

    @Test
    void saysOnceOnFirstProductNamingTheFlag() {
        List<String> said = new ArrayList<>();
        Gemm gemm = new EjmlGemmNotice(new EjmlGemm(false), said::add);
        assertEquals(List.of(), said, "nothing before the first product");
        float[] c = new float[4];
        gemm.gemm(false, false, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, 0f, c);
        gemm.serial(false, false, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, new float[] {1, 0, 0, 1}, 0, 0f, c, 0);
        gemm.gemm(false, false, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, 0f, c);
        assertEquals(1, said.size(), "said once: " + said);
        assertTrue(said.get(0).contains("--add-modules jdk.incubator.vector"), said.get(0));
        assertTrue(said.get(0).contains("-Dtessera.cpu.vector=false"), said.get(0));
        assertArrayEquals(new float[] {1, 2, 3, 4}, c, "the product itself is EJML's");
    }
}
