package io.ecivk.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the JVM's {@link KubeControlPlane} into test constructors, test methods and lifecycle methods
 * ({@code @BeforeEach}, {@code @BeforeAll}, ...), starting it on first use:
 *
 * <pre>{@code
 * @ExtendWith(KubeControlPlaneExtension.class)
 * class MyIT {
 *   @Test
 *   void works(KubeControlPlane cp) {
 *     String ns = cp.createNamespace("my-it");
 *     cp.client().pods().inNamespace(ns)...
 *   }
 * }
 * }</pre>
 *
 * <p>If the control plane cannot start, resolving the parameter fails and so does the test, with the start
 * script's output in the message: such tests are never skipped.
 */
public final class KubeControlPlaneExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == KubeControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    try {
      return KubeControlPlane.shared();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("The Kubernetes test control plane is not available:\n"
          + e.getMessage(), e);
    }
  }
}
