package dev.transcript.command.user;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class PasswordHashing {

    /** Cost 10 is bcrypt's default; tests and benchmarks may lower it through the property. */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${transcript.users.bcrypt-cost:10}") int cost) {
        return new BCryptPasswordEncoder(cost);
    }
}
