import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from './authenticated.decorator';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { Principal } from './principal';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Authenticated()
  @ApiOkResponse({
    description:
      'The calling principal, in snake_case like every other response: a user (kind, id, role, name, email, family_id) or a device (kind, id, role, name, device_kind, counter_id, location)',
  })
  me(@CurrentPrincipal() p: Principal): Record<string, unknown> {
    if (p.kind === 'user') return { kind: p.kind, id: p.id, role: p.role, name: p.name, email: p.email, family_id: p.familyId };
    return { kind: p.kind, id: p.id, role: p.role, name: p.name, device_kind: p.deviceKind, counter_id: p.counterId, location: p.location };
  }

  @Get()
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: [UserDto] })
  async list(): Promise<UserDto[]> {
    return (await this.users.list()).map(UserDto.of);
  }

  @Get(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return UserDto.of(await this.users.get(id));
  }

  @Post()
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: UserDto })
  async create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.create(dto));
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: UserDto })
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.update(id, dto));
  }

  @Post(':id/sign-out')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  @ApiNoContentResponse({ description: "Ends every session of the user: access and refresh tokens stop working and the user's sockets close with 4401, on every instance" })
  signOutEverywhere(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.signOutEverywhere(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
