package dev.gatehouse.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the dashboard's static page ({@code static/dashboard/}) at {@code /} and {@code /dashboard/}. The page
 * and its bundled scripts hold no data, so they are public; the data comes from {@link DashboardController}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardPage implements WebMvcConfigurer {

    private static final String PAGE = "forward:/dashboard/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName(PAGE);
        registry.addViewController("/dashboard").setViewName("redirect:/dashboard/");
        registry.addViewController("/dashboard/").setViewName(PAGE);
    }
}
