import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { Device } from './entities/device.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users, devices, tokens, and the guards every other module uses. */
@Global()
@Module({
  imports: [JwtModule.register({}), TypeOrmModule.forFeature([User, RefreshToken, Device])],
  controllers: [AuthController, UsersController, DevicesController],
  providers: [AuthService, AuthGuard, TokenService, PasswordHasher, LoginThrottle, UsersService, DevicesService],
  exports: [AuthService, AuthGuard, UsersService, DevicesService, TypeOrmModule],
})
export class AuthModule {}
